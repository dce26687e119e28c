'use strict';
/**
 * The failure converter every client, worker and the workflow bundle use (src/temporal/data-converter.ts).
 *
 * Why: a failure's message and stack trace are not payloads, so the payload codec does not see them and Temporal
 * stores them in clear in history (an activity error that quotes a meal, a model server echoing input). With
 * `encodeCommonAttributes` the SDK moves both into the failure's `encodedAttributes` payload, which the AES-GCM
 * codec encrypts like any other; history keeps only "Encoded failure" and the failure's type.
 *
 * Plain CommonJS on purpose: the SDK loads it by path with Node's own `require` (DataConverter.failureConverterPath)
 * before any TypeScript hook, and the workflow bundler aliases it into the sandbox; Node 20 cannot require `.ts`.
 */
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
