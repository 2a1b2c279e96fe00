// The register: a tap records a pupil's status without reloading the page. Without
// this script the same forms post and the page reloads, so nothing depends on it.
const register = document.getElementById("register");
const status = document.getElementById("register-status");

register.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const button = event.submitter;
  const body = new FormData(form);
  body.set("status", button.value);
  try {
    const response = await fetch(location.pathname, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": register.dataset.csrf },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    form.querySelectorAll("button").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.value === data.status));
    });
    status.textContent = `${form.getAttribute("aria-label")}: ${form.querySelector(`button[value="${data.status}"]`).title}`;
  } catch (error) {
    status.textContent = error.message;
  }
});
