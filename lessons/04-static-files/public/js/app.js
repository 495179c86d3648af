// Fetches the messages from the JSON API and lists them on the home page.
// The text goes in with `textContent`, never `innerHTML`: a name such as
// "<script>…</script>" is then shown as text instead of being run.

async function showMessages() {
  const status = document.getElementById("messages-status");
  const list = document.getElementById("messages");
  try {
    const response = await fetch("/messages");
    if (!response.ok) {
      throw new Error(`the server answered ${response.status}`);
    }
    const messages = await response.json();
    for (const message of messages) {
      const item = document.createElement("li");
      const name = document.createElement("strong");
      name.textContent = message.name;
      const email = document.createElement("a");
      email.href = `mailto:${message.email}`;
      email.textContent = message.email;
      item.append(name, email);
      list.append(item);
    }
    status.textContent = `${messages.length} messages, fetched from /messages by js/app.js.`;
  } catch (error) {
    status.textContent = `Could not load the messages: ${error.message}.`;
  }
}

showMessages();
