use lesson_01_raw_routing as subject;
#[path = "../../../tests/01-raw-routing.rs"]
mod cases;
