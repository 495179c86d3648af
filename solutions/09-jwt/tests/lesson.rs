use solution_09_jwt as subject;
#[path = "../../../tests/09-jwt.rs"]
mod cases;
