import { api } from './api.ts';

/** The part of JSON Schema the API's OpenAPI document uses for event and input bodies. */
export interface FieldSchema {
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  format?: string;
  enum?: string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  description?: string;
}

export interface ObjectSchema {
  type: 'object';
  properties: Record<string, FieldSchema>;
  required?: string[];
}

interface OpenApi {
  components: { schemas: Record<string, { oneOf?: ObjectSchema[] } & Partial<ObjectSchema>> };
}

let document: Promise<OpenApi> | null = null;

/** The server's OpenAPI document (once per tab): forms are built from the same schemas the server checks. */
function openApi(): Promise<OpenApi> {
  document ??= api<OpenApi>('/openapi.json').then((r) => r.data);
  return document;
}

/** The body schema of one event (`ProjectEvent`, `ProblemEvent`…) by its type. */
export async function eventSchema(union: string, type: string): Promise<ObjectSchema | undefined> {
  const schema = (await openApi()).components.schemas[union];
  return schema?.oneOf?.find((s) => s.properties.type?.enum?.[0] === type);
}

/** A named object schema (`ProblemInput`…). */
export async function objectSchema(name: string): Promise<ObjectSchema | undefined> {
  const schema = (await openApi()).components.schemas[name];
  return schema?.type === 'object' ? (schema as ObjectSchema) : undefined;
}

export type FieldValue = string | number | boolean | null | undefined;

/** Why a value does not fit its field (the same limits the server checks), or null. */
export function fieldProblem(
  schema: FieldSchema,
  value: FieldValue,
  required: boolean,
  t: (zh: string, en: string) => string,
): string | null {
  const empty = value === undefined || value === null || value === '';
  if (empty) return required ? t('必填', 'required') : null;
  if (schema.type === 'number' || schema.type === 'integer') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return t('须为数字', 'must be a number');
    if (schema.type === 'integer' && !Number.isInteger(value)) return t('须为整数', 'must be a whole number');
    if (schema.maximum !== undefined && value > schema.maximum)
      return t(`不能超过 ${schema.maximum}`, `at most ${schema.maximum}`);
    if (schema.minimum !== undefined && value < schema.minimum)
      return t(`不能小于 ${schema.minimum}`, `at least ${schema.minimum}`);
    return null;
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return t('必填', 'required');
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      return t(`最多 ${schema.maxLength} 个字符`, `at most ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) return t('格式不对', 'wrong format');
    if (schema.enum !== undefined && !schema.enum.includes(value)) return t('请选择', 'choose one');
  }
  return null;
}
