// Pure formatting helpers shared by the console and the API server.
export { age, humanDuration } from './duration';
