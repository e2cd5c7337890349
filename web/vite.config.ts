// Vite build of the clinician web app. `npm run build` writes web/dist, which the C++ build embeds
// into the calfdvt binary (cmake/embed_web.cmake). `npm run dev` serves the app with hot reload and
// forwards /api to a running `calfdvt serve --demo` (CALFDVT_URL, default http://127.0.0.1:8080).
import { defineConfig } from 'vite';

declare const process: { env: Record<string, string | undefined> };

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': process.env.CALFDVT_URL ?? 'http://127.0.0.1:8080', '/healthz': process.env.CALFDVT_URL ?? 'http://127.0.0.1:8080' },
  },
});
