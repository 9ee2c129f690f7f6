import { z } from 'zod';
import type { InputProblem } from '../../machines/index.ts';

const zhCN = z.locales.zhCN();

/**
 * Parses with a zod schema; on failure, every issue as a problem naming its field, in both
 * languages: zod's own messages in English and in its zh-CN locale, and our custom messages —
 * written "English / 中文" — split into their halves.
 *
 * @example
 * parseWithProblems(ProjectInputSchema, body)
 * // { ok: false, problems: [{ field: 'plannedInvestment', en: 'Too big: …', zh: '数值过大:…' }] }
 */
export function parseWithProblems<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; data: T } | { ok: false; problems: InputProblem[]; issues: z.core.$ZodIssue[] } {
  const en = schema.safeParse(value);
  if (en.success) return { ok: true, data: en.data };
  const zh = schema.safeParse(value, { error: zhCN.localeError }).error?.issues ?? [];
  const problems = en.error.issues.map((issue, i) => {
    const field = issue.path.map(String).join('.');
    const [english, chinese] = issue.message.includes(' / ')
      ? issue.message.split(' / ', 2)
      : [issue.message, zh[i]?.message ?? issue.message];
    return { field, en: english!, zh: chinese! };
  });
  return { ok: false, problems, issues: en.error.issues };
}
