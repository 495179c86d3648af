use lesson_08_middleware as subject;
#[path = "../../../tests/08-middleware.rs"]
mod cases;
