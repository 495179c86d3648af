use solution_02_modules as subject;
#[path = "../../../tests/02-modules.rs"]
mod cases;
