// Builds the board into dist/, which `groundnet serve` serves at `/`.
// `npm run dev` serves the page with hot reload and forwards the API to a running server
// (GROUNDNET_URL, default http://127.0.0.1:8000).
import { defineConfig } from "vite";

const server = process.env.GROUNDNET_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", assetsInlineLimit: 0 },
  server: {
    proxy: {
      "/api": { target: server, ws: true },
    },
  },
});
