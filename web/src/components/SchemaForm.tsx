import {
  ElAlert,
  ElButton,
  ElDatePicker,
  ElForm,
  ElFormItem,
  ElInput,
  ElInputNumber,
  ElOption,
  ElSelect,
} from 'element-plus';
import { defineComponent, reactive, ref, type PropType } from 'vue';
import { type ApiError, newIdempotencyKey } from '../api.ts';
import { todayInChina } from '../campaign.ts';
import { L, t, submitted } from '../i18n.ts';
import { fieldProblem, type FieldValue, type ObjectSchema } from '../schema.ts';
import { vocab } from '../session.ts';

export type Choices = Record<string, { value: string; label: string }[]>;

/** What a submission led to, for the form to show. */
export type Submitted = { ok: true; message?: string } | { ok: false; error: ApiError };

/**
 * A form generated from a body schema of the API's OpenAPI document — the same schema the
 * server validates with: labels and units from the vocabulary, limits from the schema, dates
 * defaulting to today. Each submission carries one Idempotency-Key, kept until the server has
 * answered, so a double tap or a retry after a lost answer is applied once. A refusal is shown
 * in the form with its reason and numbers; a 422 marks the fields it names.
 */
export default defineComponent({
  name: 'SchemaForm',
  props: {
    schema: { type: Object as PropType<ObjectSchema>, required: true },
    /** Fields not shown (the event's type, ids the page fills in). */
    hidden: { type: Array as PropType<string[]>, default: () => ['type'] },
    choices: { type: Object as PropType<Choices>, default: () => ({}) },
    initial: { type: Object as PropType<Record<string, FieldValue>>, default: () => ({}) },
    submitLabel: { type: String, required: true },
    testid: { type: String, default: 'form' },
    submit: {
      type: Function as PropType<(body: Record<string, unknown>, key: string) => Promise<Submitted>>,
      required: true,
    },
  },
  setup(props) {
    const fields = Object.keys(props.schema.properties).filter((f) => !props.hidden.includes(f));
    const required = new Set(props.schema.required ?? []);
    const values = reactive<Record<string, FieldValue>>({});
    const reset = () => {
      for (const f of fields) {
        const s = props.schema.properties[f]!;
        values[f] = props.initial[f] ?? (s.format === 'date' ? todayInChina() : undefined);
      }
    };
    reset();
    const problems = reactive<Record<string, string | null>>({});
    const outcome = ref<{ type: 'success' | 'error' | 'warning'; text: string } | null>(null);
    const busy = ref(false);
    let key: string | null = null;

    const send = async () => {
      if (busy.value) return; // a second tap while the first is on its way
      let bad = false;
      for (const f of fields) {
        problems[f] = fieldProblem(props.schema.properties[f]!, values[f], required.has(f), t);
        bad ||= problems[f] !== null;
      }
      if (bad) return;
      const body: Record<string, unknown> = {};
      for (const f of fields)
        if (values[f] !== undefined && values[f] !== null && values[f] !== '') body[f] = values[f];
      key ??= newIdempotencyKey();
      busy.value = true;
      outcome.value = null;
      try {
        const result = await props.submit(body, key);
        if (result.ok) {
          outcome.value = { type: 'success', text: result.message ?? t('已提交', 'Done') };
          key = null;
          reset();
        } else {
          const err = result.error;
          // The server answered: the next submission is a new one. (No answer: keep the key.)
          if (err.status !== 0) key = null;
          for (const issue of err.problem.issues ?? [])
            if (issue.path in values) problems[issue.path] = L({ zh: issue.zh, en: issue.message });
          outcome.value = { type: err.status === 412 ? 'warning' : 'error', text: err.text };
        }
      } finally {
        busy.value = false;
      }
    };

    const label = (f: string) => {
      const l = vocab.value?.fields[f];
      return l === undefined ? f : `${L(l)}${l.unit ? `(${L(l.unit)})` : ''}`;
    };
    const input = (f: string) => {
      const s = props.schema.properties[f]!;
      const set = (v: FieldValue) => {
        values[f] = v;
        problems[f] = null;
      };
      const testid = `${props.testid}-${f}`;
      const options =
        props.choices[f] ??
        (s.enum ?? []).map((value) => ({
          value,
          // Choices people read: a permit's or a measure's name, never its key.
          label: L(
            ((vocab.value?.permits ?? {}) as Record<string, { zh: string; en: string }>)[value] ??
              ((vocab.value?.measures ?? {}) as Record<string, { zh: string; en: string }>)[value],
            value,
          ),
        }));
      if (options.length > 0)
        return (
          <ElSelect
            modelValue={values[f] as string | undefined}
            onUpdate:modelValue={set}
            filterable
            data-testid={testid}
            style="width:100%"
          >
            {options.map((o) => (
              <ElOption value={o.value} label={o.label} key={o.value} />
            ))}
          </ElSelect>
        );
      if (s.format === 'date')
        return (
          <ElDatePicker
            modelValue={values[f] as string | undefined}
            onUpdate:modelValue={set}
            type="date"
            valueFormat="YYYY-MM-DD"
            clearable={false}
            editable={false}
            data-testid={testid}
            style="width:100%"
          />
        );
      if (s.pattern?.includes('(0[1-9]|1[0-2])$'))
        return (
          <ElDatePicker
            modelValue={values[f] as string | undefined}
            onUpdate:modelValue={set}
            type="month"
            valueFormat="YYYY-MM"
            editable={false}
            data-testid={testid}
            style="width:100%"
          />
        );
      if (s.type === 'number' || s.type === 'integer')
        return (
          <ElInputNumber
            modelValue={values[f] as number | undefined}
            onUpdate:modelValue={(v: number | undefined | null) => set(v ?? undefined)}
            max={s.maximum}
            step={s.type === 'integer' ? 1 : 0.01}
            stepStrictly={s.type === 'integer'}
            controlsPosition="right"
            valueOnClear={null}
            data-testid={testid}
            style="width:100%"
          />
        );
      return (
        <ElInput
          modelValue={values[f] as string | undefined}
          onUpdate:modelValue={set}
          maxlength={s.maxLength}
          data-testid={testid}
          type={(s.maxLength ?? 0) > 300 ? 'textarea' : 'text'}
        />
      );
    };

    return () => (
      <ElForm labelPosition="top" {...submitted(send)} data-testid={props.testid} class="gj-schema-form">
        {fields.map((f) => (
          <ElFormItem label={label(f)} required={required.has(f)} error={problems[f] ?? ''} key={f}>
            {input(f)}
          </ElFormItem>
        ))}
        {outcome.value !== null ? (
          <ElAlert
            type={outcome.value.type}
            closable={false}
            title={outcome.value.text}
            data-testid={`${props.testid}-outcome`}
            style="margin-bottom:8px"
          />
        ) : null}
        <ElButton type="primary" nativeType="submit" loading={busy.value} data-testid={`${props.testid}-submit`}>
          {props.submitLabel}
        </ElButton>
      </ElForm>
    );
  },
});
