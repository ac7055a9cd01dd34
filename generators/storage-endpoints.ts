import type { Endpoint } from './define-plugin.js';

/** The routes every S3-compatible storage plugin serves (the storage layer's router), below `mountPath`. */
export function storageEndpoints(mountPath = ''): Endpoint[] {
  return [
    {
      method: 'POST',
      path: `${mountPath}/upload`,
      description: 'Upload one file (multipart/form-data field `file`, optional `key`)',
      input: { body: 'uploadFields', file: 'file' },
    },
    {
      method: 'GET',
      path: `${mountPath}/:key`,
      description: 'Download an object, streamed; honours `Range`; a download unless it is an image (not SVG), audio, video or PDF',
    },
    { method: 'DELETE', path: `${mountPath}/:key`, description: 'Delete an object', access: 'admin' },
    { method: 'POST', path: `${mountPath}/presigned-url`, description: 'Presigned GET or PUT URL for direct browser access' },
    { method: 'POST', path: `${mountPath}/multipart/init`, description: 'Start a multipart upload', input: { body: 'multipartInitBody' } },
    {
      method: 'PUT',
      path: `${mountPath}/multipart/part`,
      description: 'Upload one part (raw body; `key`, `uploadId`, `partNumber` in the query)',
      input: { query: 'multipartPartQuery' },
    },
    {
      method: 'POST',
      path: `${mountPath}/multipart/complete`,
      description: 'Assemble the uploaded parts',
      input: { body: 'multipartCompleteBody' },
    },
    {
      method: 'POST',
      path: `${mountPath}/multipart/abort`,
      description: 'Abandon a multipart upload and free its parts',
      input: { body: 'multipartAbortBody' },
    },
  ];
}
