// The dashboard's build (issue 7): `vite build cloud-api/web` (npm run build, and prepare on npm ci)
// writes dist/web, which cloud-api serves (cloud-api/src/http/static.ts). uPlot is bundled from the
// npm package. `npx vite cloud-api/web` serves the sources with hot reload and forwards the API and
// the WebSocket to a running cloud-api (RS_API_URL, default http://127.0.0.1:8080).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const api = process.env.RS_API_URL ?? 'http://127.0.0.1:8080'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 200
  },
  server: {
    proxy: {
      '/api': api,
      '/ws': { target: api.replace(/^http/, 'ws'), ws: true }
    }
  }
})
