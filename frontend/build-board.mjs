// Bundles the live lesson's board (src/board.jsx) into build/board/, beside
// Excalidraw's own code chunks and fonts, so no page asks a CDN for them.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";

const out = "build/board";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: ["src/board.jsx"],
  outfile: `${out}/board.js`,
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  jsx: "automatic",
  define: { "process.env": JSON.stringify({ NODE_ENV: "production", IS_PREACT: "false" }) },
  // Excalidraw reads its asset folder when its module first runs: the banner comes
  // before every bundled module, and the folder is the bundle's own.
  banner: { js: 'window.EXCALIDRAW_ASSET_PATH = new URL("./", import.meta.url).href;' },
  legalComments: "linked",
  logLevel: "warning",
});
cpSync(
  "node_modules/@excalidraw/excalidraw/dist/excalidraw-assets",
  `${out}/excalidraw-assets`,
  { recursive: true },
);
