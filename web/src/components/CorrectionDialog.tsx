import { ElAlert, ElDialog, ElRadioButton, ElRadioGroup } from 'element-plus';
import { computed, defineComponent, ref, type PropType } from 'vue';
import { api, ApiError } from '../api.ts';
import { L, t } from '../i18n.ts';
import { vocab } from '../session.ts';
import type { FieldValue, ObjectSchema } from '../schema.ts';
import SchemaForm, { type Submitted } from './SchemaForm.tsx';

/** The accepted event being corrected: its journal seq and the event as it was recorded. */
export interface CorrectedEntry {
  seq: number;
  event: Record<string, unknown> & { type: string };
}

const REASON = { type: 'string', minLength: 1, maxLength: 1000 } as const;

/**
 * 更正 (the campaign office): an accepted event replaced — a new amount or date, the form filled
 * with what was recorded — or voided, always with a reason. Nothing is rewritten: the project's
 * history keeps the original and shows the correction; a correction the later history could not
 * stand (a start that relied on a voided clearance) is refused with that rule.
 */
export default defineComponent({
  name: 'CorrectionDialog',
  props: {
    projectId: { type: String, required: true },
    version: { type: Number, required: true },
    entry: { type: Object as PropType<CorrectedEntry | null>, default: null },
    /** The event type's body schema (from the OpenAPI document). */
    schema: { type: Object as PropType<ObjectSchema | null>, default: null },
  },
  emits: ['close', 'done'],
  setup(props, { emit }) {
    const mode = ref<'amend' | 'void'>('amend');
    const amendSchema = computed<ObjectSchema | null>(() =>
      props.schema === null
        ? null
        : {
            type: 'object',
            properties: { ...props.schema.properties, reason: { ...REASON } },
            required: [...(props.schema.required ?? []), 'reason'],
          },
    );
    const voidSchema: ObjectSchema = { type: 'object', properties: { reason: { ...REASON } }, required: ['reason'] };
    const initial = computed(() => {
      const { type: _type, ...fields } = props.entry?.event ?? { type: '' };
      return fields as Record<string, FieldValue>;
    });
    const submit = async (body: Record<string, unknown>, key: string): Promise<Submitted> => {
      const entry = props.entry!;
      const { reason, ...fields } = body;
      const payload =
        mode.value === 'void'
          ? { seq: entry.seq, void: true, reason }
          : { seq: entry.seq, event: { type: entry.event.type, ...fields }, reason };
      try {
        await api(`/api/projects/${encodeURIComponent(props.projectId)}/corrections`, {
          method: 'POST',
          body: payload,
          headers: { 'If-Match': `"${props.version}"`, 'Idempotency-Key': key },
        });
        emit('done');
        return { ok: true, message: t('已更正', 'Corrected') };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return { ok: false, error: err };
      }
    };
    return () => {
      const entry = props.entry;
      const schema = mode.value === 'void' ? voidSchema : amendSchema.value;
      return (
        <ElDialog
          modelValue={entry !== null}
          onUpdate:modelValue={(open: boolean) => (open ? null : emit('close'))}
          title={`${t('更正', 'Correct')}:${t('第', 'entry ')}${entry?.seq ?? ''}${t(' 条', '')} ${L(
            vocab.value?.events[(entry?.event.type ?? 'SIGN') as 'SIGN'],
            entry?.event.type,
          )}`}
          width="min(560px, 96vw)"
          destroyOnClose
          data-testid="correction-dialog"
        >
          <ElAlert
            type="info"
            closable={false}
            style="margin-bottom:10px"
            title={t(
              '更正不改写原记录:办理记录中保留原事项,并显示本次更正、更正人和原因;项目状态按更正后的记录重新推算。',
              'A correction rewrites nothing: the timeline keeps the original and shows this correction, ' +
                'who made it and why; the project is re-derived from the corrected record.',
            )}
          />
          <ElRadioGroup
            modelValue={mode.value}
            onUpdate:modelValue={(v: string | number | boolean | undefined) => (mode.value = v as 'amend' | 'void')}
            style="margin-bottom:10px"
            data-testid="correction-mode"
          >
            <ElRadioButton value="amend">{t('更正金额或日期', 'New amount or date')}</ElRadioButton>
            <ElRadioButton value="void">{t('作废', 'Void it')}</ElRadioButton>
          </ElRadioGroup>
          {entry !== null && schema !== null ? (
            <SchemaForm
              key={`${entry.seq}-${mode.value}`}
              schema={schema}
              initial={mode.value === 'void' ? {} : initial.value}
              submitLabel={mode.value === 'void' ? t('作废该事项', 'Void it') : t('提交更正', 'Correct it')}
              testid="correction"
              submit={submit}
            />
          ) : null}
        </ElDialog>
      );
    };
  },
});
