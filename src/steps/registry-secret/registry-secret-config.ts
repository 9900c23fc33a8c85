import { z } from 'zod';
import { defineStepConfig } from '../step-config.ts';

const DOCKER_HUB_LOGIN = 'https://hub.docker.com/v2/users/login';

const configSchema = z
  .object({
    secretName: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager name: letters, digits and /_+=.@-')
      .default('dockerhub/creds')
      .describe('Name of the secret the templates read.'),
    format: z
      .string()
      .refine((format) => format.includes('{password}'), 'must contain {password}')
      .default('{username} {password}')
      .describe('The secret value, with {username} and {password} filled in: "{username} {password}".'),
    verifyLoginUrl: z
      .union([z.url({ protocol: /^https?$/ }), z.literal(false)])
      .default(DOCKER_HUB_LOGIN)
      .describe(
        'Login endpoint the credentials are tried against first (Docker Hub style: POST username and ' +
          'password as JSON), or false to skip. STACKGUIDE_REGISTRY_LOGIN_URL overrides it ("off" skips).',
      ),
    registry: z
      .string()
      .min(1)
      .default('Docker Hub')
      .describe('The registry, as the operator knows it, in the prompts: "Docker Hub".'),
  })
  .strict();

/** What a blueprint may say to a `registrySecret` step (zod only); what the step does is in registry-secret-step.ts. */
export const registrySecretConfig = defineStepConfig({
  kind: 'registrySecret',
  description: 'Registry credentials (Docker Hub) stored in Secrets Manager for the builds',
  configSchema,
  outputs: ['secretArn', 'secretName'],
});

export type RegistrySecretConfig = z.output<typeof registrySecretConfig.configSchema>;
