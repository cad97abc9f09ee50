// A company's statements: list, open, download the workbook.
import { t } from '../i18n.js';
import { section } from '../ui.js';
import { statementsBrowser } from '../statements.js';

export async function statementsTab(ctx) {
  const { est, body } = ctx;
  const b = statementsBrowser(`/api/v1/companies/${est}/statements`, false);
  body.appendChild(section(t('statements.title'), b.form, b.list));
  await b.load();
}
