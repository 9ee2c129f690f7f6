export { REPORT_CSP, reportHtml, reportHtmlSteps } from './html.ts';
export { reportXlsx } from './xlsx.ts';
export { BULLETIN_CSP, bulletinDocx, bulletinHtml, bulletinOf, type Bulletin } from './bulletin.ts';
