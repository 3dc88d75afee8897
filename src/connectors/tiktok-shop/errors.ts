/**
 * The one factory mapping TikTok answers to AppError (reference §1.4). Branches on the envelope
 * code and the HTTP status only, never on message text.
 */
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import { TIKTOK_CODES } from './manifest.ts';

export interface TikTokFailure {
  /** Envelope `code`; undefined when the body was not an envelope (e.g. an HTML 502 page). */
  code: number | undefined;
  message: string;
  requestId: string;
  httpStatus: number;
  method: string;
  path: string;
  retryAfterMs?: number | undefined;
}

function codeFor(f: TikTokFailure): ErrorCode {
  switch (f.code) {
    case TIKTOK_CODES.signatureInvalid:
      return 'tiktok_signature_invalid';
    case TIKTOK_CODES.accessTokenExpired:
      return 'tiktok_token_expired';
    case TIKTOK_CODES.scopeDenied:
      return 'tiktok_scope_denied';
    case TIKTOK_CODES.refreshTokenExpired:
    case TIKTOK_CODES.authRecordMissing:
      return 'tiktok_refresh_token_expired';
    case TIKTOK_CODES.rateLimited:
      return 'tiktok_rate_limited';
    case TIKTOK_CODES.internalError:
      return 'tiktok_internal';
    case TIKTOK_CODES.invalidParam:
      return 'tiktok_invalid_param';
  }
  // S-ECOM treats the whole 105xxx family as token problems (§1.4).
  if (f.code !== undefined && Math.floor(f.code / 1000) === 105) return 'tiktok_token_expired';
  if (f.httpStatus === 429) return 'tiktok_rate_limited';
  if (f.httpStatus >= 500) return 'tiktok_internal';
  if (f.httpStatus === 401 && f.code === undefined) return 'tiktok_signature_invalid';
  return 'tiktok_api_error';
}

/**
 * TikTok's parameter errors name the field as "param body.<path> ..." (§1.4, observed). Kept in
 * details so a message can name the field; nothing branches on it.
 */
const PARAM = /\bparam (?:body|query)\.([A-Za-z0-9_.]+)/;

export function tiktokError(f: TikTokFailure): AppError {
  const code = codeFor(f);
  const param = PARAM.exec(f.message)?.[1];
  const what = f.code === undefined ? `HTTP ${f.httpStatus}` : `code ${f.code}`;
  return new AppError(code, `TikTok ${f.method} ${f.path} failed (${what}): ${f.message || 'no message'}`, {
    details: {
      tiktokCode: f.code,
      httpStatus: f.httpStatus,
      requestId: f.requestId,
      path: f.path,
      ...(param ? { param } : {}),
    },
    retryAfterMs: f.retryAfterMs,
  });
}

export function badResponse(method: string, path: string, issue: string, cause?: unknown): AppError {
  return new AppError('tiktok_bad_response', `TikTok ${method} ${path}: unexpected response: ${issue}`, {
    details: { path, issue },
    cause,
  });
}
