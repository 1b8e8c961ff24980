export { startApiServer, type ApiTimeouts } from './api-server.ts';
export { readRuntimeFile, writeRuntimeFile, removeRuntimeFile, runtimeAlive, newToken, type RuntimeInfo } from './runtime-file.ts';
