import { defineConfig } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  build: {
    target: "es2022",
    // Tauri's CSP allows no inline scripts or styles: keep everything in files.
    assetsInlineLimit: 0,
    cssCodeSplit: false,
  },
  server: { port: 5173, strictPort: true },
});
