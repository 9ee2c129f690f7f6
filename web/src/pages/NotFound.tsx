import { ElResult } from 'element-plus';
import { defineComponent } from 'vue';
import { RouterLink } from 'vue-router';
import { t } from '../i18n.ts';

export default defineComponent({
  name: 'NotFoundPage',
  setup() {
    return () => (
      <ElResult icon="warning" title={t('页面不存在', 'No such page')}>
        {{ extra: () => <RouterLink to="/">{t('返回总览', 'Back to the overview')}</RouterLink> }}
      </ElResult>
    );
  },
});
