// The dashboard page (cloud-api/public, plain ES modules, no build step yet — issue 7 moves it to
// Vite) and uPlot's distribution files from node_modules under /vendor/uplot/.
import type { FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import { repoPath } from '../../../common/src/paths.js'

export async function registerStatic (app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: repoPath('cloud-api', 'public'), prefix: '/', index: ['index.html'], cacheControl: false })
  await app.register(fastifyStatic, {
    root: repoPath('node_modules', 'uplot', 'dist'),
    prefix: '/vendor/uplot/',
    decorateReply: false,
    maxAge: '1h',
    allowedPath: p => p === '/uPlot.esm.js' || p === '/uPlot.min.css' || p === '/uPlot.iife.min.js'
  })
}
