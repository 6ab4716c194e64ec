import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @rapport/web` serves the app with hot reload and forwards the API to a server on :3000.
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Keeps inline data URLs out of the bundle: the server's content security policy allows only 'self' and data: images.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
});
