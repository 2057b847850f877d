/**
 * Validator of the JSON report against its published schema, by Ajv (an
 * independent JSON Schema implementation), strict mode on so that a typo in
 * the schema fails instead of being ignored.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import { REPORT_JSON_SCHEMA } from '../../src/report/schema.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });

/** Ajv's compiled validator of the report schema (`validateReport.errors` after a failure). */
export const validateReport = ajv.compile(REPORT_JSON_SCHEMA);
