use lesson_04_static_files as subject;
#[path = "../../../tests/04-static-files.rs"]
mod cases;
