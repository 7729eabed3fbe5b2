import { settingsSchema, type Settings } from '../store/settings';
import type { ClientAuthLimits } from './client-authentication';

// Failed client authentications and self-registrations: how many, how fast, and how long unused
// registrations are kept. User-tunable in settings.json's `oauth` section.
export interface OAuthLimits extends ClientAuthLimits {
  registrationsPerMinute: number;
  maxUnusedRegistrations: number;
  unusedRegistrationTtlSeconds: number;
}

export function oauthLimits(oauth: Settings['oauth']): OAuthLimits {
  return {
    failedPerClientPerMinute: oauth.failedAuthPerClientPerMinute,
    failedPerSourcePerMinute: oauth.failedAuthPerSourcePerMinute,
    registrationsPerMinute: oauth.registrationsPerMinute,
    maxUnusedRegistrations: oauth.maxUnusedRegistrations,
    unusedRegistrationTtlSeconds: oauth.unusedRegistrationTtlSeconds,
  };
}

export const DEFAULT_OAUTH_LIMITS: OAuthLimits = oauthLimits(settingsSchema.parse({}).oauth);
