import { httpHandler } from '../src/api/http-errors.js';
import { HttpError } from '../src/api/request.js';

// Not wired yet: the module this route calls has not landed.
export const handler = httpHandler(async () => {
  throw new HttpError(501, 'this route is not implemented yet', 'NotImplementedError');
});
