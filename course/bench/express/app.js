// The notes' own Express app, kept for `cargo course bench` to compare with
// the Rust solutions on the same endpoints.
//
// `npm ci && node app.js` (PORT=8080 to pick a port; 0 lets the system pick).
// With MONGODB_URI set, it also serves `GET /messages` from MongoDB through
// Mongoose, like lesson 06's list endpoint (database from MONGODB_DB).
import express from "express";

const app = express();

// The route from the notes, unchanged.
app.get("/contact", (req, res) => res.json({ id: 1, page: "contactPages" }));

if (process.env.MONGODB_URI) {
  const { default: mongoose } = await import("mongoose");
  await mongoose.connect(process.env.MONGODB_URI, {
    dbName: process.env.MONGODB_DB ?? "backendlearning",
    serverSelectionTimeoutMS: 5000,
  });
  // The notes' schema: a name and an email, in the `messages` collection.
  const Message = mongoose.model(
    "Message",
    new mongoose.Schema({ name: String, email: String }),
    "messages",
  );

  // `GET /messages?limit=20&skip=0`: one page, oldest first, as lesson 06.
  app.get("/messages", async (req, res) => {
    const limit = Number(req.query.limit ?? 20);
    const skip = Number(req.query.skip ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return res.status(422).json({
        error: { code: "validation", message: "limit must be a whole number from 1 to 100", field: "limit" },
      });
    }
    if (!Number.isInteger(skip) || skip < 0) {
      return res.status(422).json({
        error: { code: "validation", message: "skip must be a whole number, 0 or more", field: "skip" },
      });
    }
    const found = await Message.find().sort({ _id: 1 }).skip(skip).limit(limit).lean();
    res.json(found.map((m) => ({ id: m._id.toHexString(), name: m.name, email: m.email })));
  });
}

const port = Number(process.env.PORT ?? 3000);
const server = app.listen(port, "127.0.0.1", (error) => {
  if (error) {
    console.error(`error: cannot listen on 127.0.0.1:${port}: ${error.message}`);
    process.exit(1);
  }
  const { address, port: actual } = server.address();
  console.log(`Listening on http://${address}:${actual}`);
});
