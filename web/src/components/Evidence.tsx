import { ElAlert, ElButton, ElTag } from 'element-plus';
import { defineComponent, ref, type PropType } from 'vue';
import type { Problem } from '../api.ts';
import { lang, t } from '../i18n.ts';

/** One piece of evidence uploaded: what the server answered, and the file's name. */
export interface EvidenceRef {
  hash: string;
  name: string;
  type: string;
  size: number;
}

/**
 * Evidence for a filing (开工照片, 施工许可证): photos straight from a phone's camera or files, each
 * uploaded as it is chosen (`POST /api/blobs`, judged there by its content), listed with a way
 * to take it off again. The filing then names them by hash.
 */
export default defineComponent({
  name: 'EvidencePicker',
  props: {
    modelValue: { type: Array as PropType<EvidenceRef[]>, required: true },
    testid: { type: String, default: 'evidence' },
  },
  emits: ['update:modelValue'],
  setup(props, { emit }) {
    const input = ref<HTMLInputElement | null>(null);
    const busy = ref(false);
    const error = ref<string | null>(null);
    const upload = async (files: FileList | null) => {
      if (files === null || files.length === 0) return;
      busy.value = true;
      error.value = null;
      const added: EvidenceRef[] = [];
      try {
        for (const file of Array.from(files)) {
          const res = await fetch('/api/blobs', {
            method: 'POST',
            body: file,
            credentials: 'same-origin',
            headers: {
              'Content-Type': 'application/octet-stream',
              'Accept-Language': lang.value === 'en' ? 'en' : 'zh-CN',
            },
          });
          const body = (await res.json().catch(() => null)) as (EvidenceRef & Problem) | null;
          if (!res.ok || body === null) {
            const detail = body === null ? `HTTP ${res.status}` : lang.value === 'en' ? body.en.detail : body.zh.detail;
            error.value = `${file.name}:${detail}`;
            continue;
          }
          added.push({ hash: body.hash, type: body.type, size: body.size, name: file.name });
        }
      } catch {
        error.value = t('无法连接服务器,请检查网络后重试', 'cannot reach the server; check the network and retry');
      } finally {
        busy.value = false;
        if (input.value !== null) input.value.value = '';
      }
      emit('update:modelValue', [...props.modelValue, ...added]);
    };
    const remove = (hash: string) =>
      emit(
        'update:modelValue',
        props.modelValue.filter((e) => e.hash !== hash),
      );
    const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);
    return () => (
      <div class="gj-evidence" data-testid={props.testid}>
        <input
          ref={input}
          type="file"
          accept="image/jpeg,image/png,image/webp,application/pdf"
          capture="environment"
          multiple
          style="display:none"
          data-testid={`${props.testid}-file`}
          onChange={(e: Event) => void upload((e.target as HTMLInputElement).files)}
        />
        <ElButton size="small" loading={busy.value} onClick={() => input.value?.click()}>
          {t('添加照片或附件(开工照片、许可证…)', 'Add a photo or file (site photo, permit…)')}
        </ElButton>
        <span class="gj-muted" style="margin-left:8px">
          {t('JPEG、PNG、WebP 或 PDF,每个不超过 10 MB', 'JPEG, PNG, WebP or PDF, up to 10 MB each')}
        </span>
        {error.value !== null ? (
          <ElAlert
            type="error"
            closable={false}
            title={error.value}
            style="margin-top:6px"
            data-testid={`${props.testid}-error`}
          />
        ) : null}
        <div class="gj-tags" style="margin-top:6px" data-testid={`${props.testid}-list`}>
          {props.modelValue.map((e) => (
            <ElTag key={e.hash} closable onClose={() => remove(e.hash)}>
              {e.name}({size(e.size)})
            </ElTag>
          ))}
        </div>
      </div>
    );
  },
});
