use solution_05_templates as subject;
#[path = "../../../tests/05-templates.rs"]
mod cases;
