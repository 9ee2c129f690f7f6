export { REPORT_CSP, reportHtml, reportHtmlSliced } from './html.ts';
export { reportXlsx } from './xlsx.ts';
export { BULLETIN_CSP, bulletinDocx, bulletinHtml, bulletinOf, type Bulletin } from './bulletin.ts';
