/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

// During `npm run dev` the Rust server runs separately on :8080; in production it serves dist/ itself.
const backend = process.env.DIUN_BACKEND ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: "dist", sourcemap: false, modulePreload: { polyfill: false } },
  server: { proxy: { "/api": backend, "/webhook": backend, "/healthz": backend } },
  preview: { proxy: { "/api": backend, "/webhook": backend, "/healthz": backend } },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/setupTests.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
