use solution_06_mongo_models as subject;
#[path = "../../../tests/06-mongo-models.rs"]
mod cases;
