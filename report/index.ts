export { REPORT_CSP, reportHtml } from './html.ts';
export { reportXlsx } from './xlsx.ts';
