export { fingerprint } from './fingerprint';
