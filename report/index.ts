export { reportHtml } from './html.ts';
export { reportXlsx } from './xlsx.ts';
