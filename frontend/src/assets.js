// Images on the board: uploaded to the server, never inlined in the document.
//
// The binding writes Excalidraw's files into a stand-in map of a local Y.Doc,
// where a new image still carries its bytes as a data: URL. Those bytes go to the
// server; the shared "assets" map then gets the image's URL, and every screen's
// stand-in map mirrors the shared one, so the binding hands the URL to Excalidraw.
import * as Y from "yjs";

import { elementsOf, readPages } from "./pages.js";

const MIRROR = "mirror";

function blobOf(dataURL) {
  // A fetch() of the data: URL would need connect-src data:, which the CSP refuses.
  const [head, body] = dataURL.split(",", 2);
  const mimeType = head.slice("data:".length).split(";")[0] || "application/octet-stream";
  const binary = head.endsWith(";base64") ? atob(body) : decodeURIComponent(body);
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return new Blob([bytes], { type: mimeType });
}

/** POSTs the image; resolves to {url, mimeType} or {error: message}. */
async function upload(config, asset) {
  const form = new FormData();
  const blob = blobOf(asset.dataURL);
  // The server trusts the bytes, not the name; the extension is for people.
  const extension = blob.type.split("/")[1]?.replace("+xml", "") || "bin";
  form.append("file", blob, `${asset.id}.${extension}`);
  try {
    const response = await fetch(config.uploadUrl, {
      method: "POST",
      body: form,
      headers: { "X-CSRFToken": config.csrfToken },
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => ({}));
    if (response.status === 201 && typeof body.url === "string") return body;
    return { error: body.message || config.labels.imageError };
  } catch {
    return { error: config.labels.imageError };
  }
}

function sharedRecord(asset, uploaded) {
  return {
    id: asset.id,
    mimeType: uploaded.mimeType || asset.mimeType,
    dataURL: uploaded.url,
    created: asset.created || Date.now(),
  };
}

/** Takes the image's elements off every page of the board. */
function removeImage(doc, fileId) {
  doc.transact(() => {
    for (const page of readPages(doc.getArray("pages"))) {
      const elements = elementsOf(doc, page.id);
      for (let index = elements.length - 1; index >= 0; index -= 1) {
        if (elements.get(index).get("el")?.fileId === fileId) elements.delete(index, 1);
      }
    }
  }, "image.refused");
}

/**
 * Keeps `local` (the binding's stand-in, returned) and `shared` (the document's
 * "assets") in step; `onRefused(message)` hears why an image left the board.
 * Returns {local, stop}.
 */
export function syncAssets({ config, shared, onRefused }) {
  const localDoc = new Y.Doc();
  const local = localDoc.getMap("assets");
  const handled = new Set();

  const mirror = (keys) => {
    localDoc.transact(() => {
      for (const key of keys) {
        const record = shared.get(key);
        if (record && local.get(key)?.dataURL !== record.dataURL) local.set(key, record);
      }
    }, MIRROR);
  };

  const place = async (asset) => {
    const uploaded = await upload(config, asset);
    if (uploaded.error) {
      // No other screen could show the image without its file.
      removeImage(shared.doc, asset.id);
      onRefused(uploaded.error);
    } else {
      shared.set(asset.id, sharedRecord(asset, uploaded));
    }
  };

  const onLocal = (event, transaction) => {
    if (transaction.origin === MIRROR) return;
    for (const key of event.keysChanged) {
      const asset = local.get(key);
      if (!asset || handled.has(key) || shared.has(key)) continue;
      if (typeof asset.dataURL === "string" && asset.dataURL.startsWith("data:")) {
        handled.add(key);
        place(asset);
      }
    }
  };
  const onShared = (event) => mirror(event.keysChanged);

  mirror(shared.keys());
  local.observe(onLocal);
  shared.observe(onShared);
  return {
    local,
    stop() {
      local.unobserve(onLocal);
      shared.unobserve(onShared);
      localDoc.destroy();
    },
  };
}
