use lesson_03_express_routing as subject;
#[path = "../../../tests/03-express-routing.rs"]
mod cases;
