// Turning pushes on for this device: the browser's permission, a subscription
// with the platform's VAPID key, sent to the server; and off again.
const card = document.getElementById("push-device");
const text = card.dataset;
const status = document.getElementById("push-status");
const on = document.getElementById("push-on");
const off = document.getElementById("push-off");

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function send(url, subscription) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": text.csrf },
    body: JSON.stringify(subscription.toJSON()),
  });
  if (!response.ok) throw new Error(String(response.status));
}

function show(subscribed, message) {
  status.textContent = message ?? (subscribed ? text.textOn : text.textOff);
  on.hidden = subscribed;
  off.hidden = !subscribed;
}

async function start() {
  if (!text.serverKey) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
    status.textContent = text.textUnsupported;
    return;
  }
  const registration = await navigator.serviceWorker.register("/sw.js");
  await navigator.serviceWorker.ready;
  const current = await registration.pushManager.getSubscription();
  show(current !== null);
  on.addEventListener("click", async () => {
    if ((await Notification.requestPermission()) !== "granted") {
      show(false, text.textDenied);
      return;
    }
    try {
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(text.serverKey),
      });
      await send(text.subscribeUrl, subscription);
      show(true);
    } catch (error) {
      show(false, text.textFailed);
    }
  });
  off.addEventListener("click", async () => {
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await send(text.unsubscribeUrl, subscription).catch(() => {});
      await subscription.unsubscribe();
    }
    show(false);
  });
}

start();
