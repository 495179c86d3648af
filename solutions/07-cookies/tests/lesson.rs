use solution_07_cookies as subject;
#[path = "../../../tests/07-cookies.rs"]
mod cases;
