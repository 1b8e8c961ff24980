/**
 * Secrets as agents print them, for the redaction tests: each in the shape and length of the real
 * thing (every value here is made up and marked FAKE, EXAMPLE or deadbeef), with the output around
 * it, and the context that must still be readable afterwards. Also look-alikes that must stay.
 */

/** One secret in agent output. */
export interface SecretSample {
  readonly name: string;
  /** The secret itself: no 8 characters of it may survive redaction, in any spelling. */
  readonly secret: string;
  /** The output it appears in. */
  readonly text: string;
  /** Parts of the output that must survive, so the reader still knows what was there. */
  readonly keeps: readonly string[];
}

function sample(name: string, secret: string, text: (s: string) => string, keeps: readonly string[] = []): SecretSample {
  return { name, secret, text: text(secret), keeps };
}

/** Values of the temp project's dotenv files (see {@link ENV_FILES}); only findable through them. */
const ENV_VALUES = {
  apiDb: 'Zq7-mellow-Harbor-FAKE-42',
  workerQueue: 'amqp-pw-FAKE-7Hn2Kq9L',
  envrcSigning: 'Gv4Rt8-FAKE-signing-Xb2N',
  dockerEnv: 'rails-FAKE-master-9f3K2q',
} as const;

/** Dotenv files of the temp project, by path: subfolders, `.envrc` and `*.env` included. */
export const ENV_FILES: Readonly<Record<string, string>> = {
  'packages/api/.env': `# api\nPORT=4000\nDB_PASSWORD=${ENV_VALUES.apiDb}\n`,
  'services/worker/.env.production': `QUEUE_URL_PASSWORD="${ENV_VALUES.workerQueue}"\nLOG_LEVEL=info\n`,
  '.envrc': `use nix\nexport JWT_SIGNING="${ENV_VALUES.envrcSigning}"\nPATH_add bin\n`,
  'deploy/docker/app.env': `RAILS_MASTER=${ENV_VALUES.dockerEnv}\n`,
};

const PEM_RSA_BODY = [
  'srgrUZJr13wbfA8AjSdNRY8Z0Dgs/UDel2eU+Q9oajzoMyYcTJ54TC5rSM6dG+s2',
  'mLNaw9uNKM5AZSUUt8vQYF2GoWL1MtgxaSrZvk4Nbm/T5/gh3bdWgRcFjQhh9WCW',
  'kQxLfqnGCVzCD42Wwl0MxjifPPAja6bs5LHsyec2g/73ItNwm0AzLLdFjWlgNarY',
  'g+pUxURWFQf/xqv74lrYPoO+ag0XzzCtEuB2VtbI8F9qncuwYSRz4JO2M6wpAW8e',
  'FunSRckkNt975m2QYTAAXCfCqFFn2PNDs1S36xX8rDakBtl8XCDfK8LQo0nTKFSS',
  'JZ6xqFkTYtS5fK5OVuBCk2x8HQxoY7IgIj90dIVdorxRJ3AzjCshkFAKEmSio8p/',
  'EXAMPLEFAKEKEYdGhlIGVuZA==',
];
const OPENSSH_BODY = [
  'rR/S+jxByQkqAtgbQ9aeWUFRqW1/B5JcK8CZP8PafREFepu3CoGOmr+AtVD1kB+8gsPmH6',
  'lOhgiaKJ0sTGirdJsNPGFUt9EbmO/SEPCE1pIr6/qSOXOJddqeMf7MgTN3lzFgOGQGnuZp',
  'hZegfdm5J0KmCaYf2xAFa7hHRtVXSM6nhG0xrzjj3bRXN1eK8bInZxFdIKSgV/IZRAkMLM',
  'h74cTn5GQ2NSg5uzl3NvVw2V3TcySZEJDXBBy6QEcLX6zY4PSsB4phbs99vFVJRhyzeWSx',
  'iL0zUzBEJQc1kDYLnlnWjDpbT/7ziDdAUHOEnOxMQAOfFtY7IDEGytv3FAKEe2AsQYELMyL',
];

const ANTHROPIC = 'sk-ant-api03-3iEpKWkULxBG-qFmbHeUbDnLqZ9brdrQU-1g347-sTrnFAKE7UvLt0f7grpo0VdjoCncvyqdaqnrS3ISVB7BfS0wLJ5iU-AA';
const GITHUB = 'ghp_2hYA69hEkREmimJ4FAKE9OhdiYB4AVVF1bUL';
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLUZBS0UtNDIiLCJyb2xlIjoiYWRtaW4iLCJpYXQiOjE3MzAwMDAwMDB9.v5hfxjB402F0Nv1lJxJFAKEkG5qD930xU-jMFXTV0vT';

/** At least 50 secrets in context. */
export const SECRET_SAMPLES: readonly SecretSample[] = [
  // AWS: bare secret keys in the IAM CSV, after `aws configure`, and key ids.
  sample(
    'AWS secret key in the IAM credentials CSV',
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    (s) =>
      `User name,Password,Access key ID,Secret access key,Console login link\nci-bot,,AKIAIOSFODNN7EXAMPLE,${s},https://123456789012.signin.aws.amazon.com/console\n`,
    ['User name,Password,Access key ID', 'ci-bot,,', 'signin.aws.amazon.com'],
  ),
  sample(
    'AWS secret key printed by aws configure get',
    'GSX/J4+ViQfCrOo4A8FAKExoDWvUyBTMGThI+xwF',
    (s) =>
      `$ aws configure list\n      Name                    Value             Type    Location\n    region                us-east-1      config-file    ~/.aws/config\n$ aws configure get aws_secret_access_key\n${s}\n$ aws s3 ls`,
    ['aws configure list', 'us-east-1', '$ aws s3 ls'],
  ),
  sample('AWS secret key in a sentence', 'xpaFZarYNnB1z1CwD4FAKEtQ5p+p2cHbPWQiG38P', (s) => `The new secret is ${s} (rotate it monthly).`, [
    'The new secret is',
    '(rotate it monthly)',
  ]),
  sample(
    'AWS secret key in a quoted JS object',
    'eI6dMl2CO9ly8oP1dLFAKEB5xj8NK7Ycc+V+HCAu',
    (s) => `const creds = { id: "AKIAIOSFODNN7EXAMPLE", key: "${s}" };`,
    ['const creds'],
  ),
  sample('AWS access key id', 'AKIAIOFNSCFAKEHQM2QS', (s) => `Using access key ${s} for profile ci`, ['Using access key', 'for profile ci']),
  sample('AWS temporary key id', 'ASIAKR33OQFAKEOKQRB7', (s) => `"AccessKeyId": "${s}",`, ['"AccessKeyId"']),
  // Private keys without their BEGIN line.
  sample(
    'PEM body ending in its END line',
    PEM_RSA_BODY.join(''),
    () => `$ tail -n 8 deploy/id_rsa\n${PEM_RSA_BODY.join('\n')}\n-----END RSA PRIVATE KEY-----\n$ ls`,
    ['$ tail -n 8 deploy/id_rsa', '$ ls'],
  ),
  sample(
    'PEM body after a cut, without BEGIN or END',
    PEM_RSA_BODY.slice(0, 6).join(''),
    () => `… (12 lines truncated)\n${PEM_RSA_BODY.slice(0, 6).join('\n')}\n… (3 more lines)`,
    ['(12 lines truncated)', '(3 more lines)'],
  ),
  sample(
    'OpenSSH key body (70 columns) ending in its END line',
    OPENSSH_BODY.join(''),
    () => `  ${OPENSSH_BODY.join('\n  ')}\n  -----END OPENSSH PRIVATE KEY-----`,
  ),
  sample(
    'PEM body in a JSON string with \\n escapes',
    PEM_RSA_BODY.slice(2, 6).join(''),
    () =>
      `{"type": "service_account", "key": "${PEM_RSA_BODY.slice(2, 6).join('\\n')}\\n-----END PRIVATE KEY-----\\n", "client_email": "ci@example.iam.gserviceaccount.com"}`,
    ['"type": "service_account"', 'client_email'],
  ),
  sample(
    'whole PEM private key',
    PEM_RSA_BODY.slice(0, 4).join(''),
    () => `-----BEGIN PRIVATE KEY-----\n${PEM_RSA_BODY.slice(0, 4).join('\n')}\n-----END PRIVATE KEY-----`,
  ),
  // Keys broken across lines.
  sample('Anthropic key wrapped by a terminal', ANTHROPIC, (s) => `ANTHROPIC key in use:\n${s.slice(0, 50)}\n${s.slice(50)}\nnext step`, [
    'ANTHROPIC key in use:',
    'next step',
  ]),
  sample('Anthropic key broken right after its prefix', ANTHROPIC, (s) => `key: ${s.slice(0, 13)}\n${s.slice(13)}`, ['key:']),
  sample('GitHub token wrapped in a Markdown list', GITHUB, (s) => `- the bot uses ${s.slice(0, 17)}\n  ${s.slice(17)} for pushes`, [
    '- the bot uses',
    'for pushes',
  ]),
  sample('GitHub token wrapped inside a quote', 'ghp_3BVz1nRh84PaoNkVFAKEUuQcrCRYUK3nE5UX', (s) => `> token ${s.slice(0, 25)}\n> ${s.slice(25)}`, ['> token']),
  // Tokens without a key=value shape.
  sample('Anthropic API key', ANTHROPIC, (s) => `Exported ${s} to the shell`, ['Exported', 'to the shell']),
  sample(
    'Anthropic admin key',
    'sk-ant-admin01-v2FE8KcRwOU_ubJE13tQwNvlaSjW4TBzHtuTB8TYIH2WFAKEXWuHF6uBWgmUzerFX7maBEOQddHXKWvf1UBPbHdYJtQtG-AA',
    (s) => `admin: ${s}`,
  ),
  sample(
    'Anthropic OAuth token',
    'sk-ant-oat01-HWRyJbI4ZG2y4yRKIUQ5LHV8E0R-W3pZjq6p6CUYOCZ6FAKEY8-x8bVeRdlkuXtzT43aFTYZYQ-2IYqENEsC57GYMrsF8-AA',
    (s) => `found ${s} in ~/.claude`,
  ),
  sample(
    'OpenAI project key',
    'sk-proj-gCUd9O6OhAD2bYbgdXLQiT8O_sKVtcEjckanO7zEdxfvfJgeGX9wpvfF_Ka-aqaZ8zVBUZgwvmT3FAKEFJROOa_w6Uv0NX3yqs6PzEvzhuxnQpFwuM9LUHcv8kuWbqq73J1cx8TU2T6iXpjtq2-0nOY3tNyd',
    (s) => `client = OpenAI(api_key="${s}")`,
    ['client = OpenAI(api_key='],
  ),
  sample('OpenAI service account key', 'sk-svcacct-x9LLtaP6oT4-izVtDR2Srj_DYJPmiIvUoDpwNqzNT3FAKEFJb-P6GixOysKRFCztkCSxXcA2rSeSBfU_yaGV_3RA', (s) => `${s}`),
  sample('OpenAI legacy key', 'sk-0IAOZjJUbsOSdcFULloBT3FAKEFJ1rqiFJN4gtKUUUuiPLAd', (s) => `openai.api_key = '${s}'`),
  sample('GitHub classic token', GITHUB, (s) => `git remote set-url origin https://${s}@github.com/acme/app.git`, [
    'git remote set-url origin',
    'github.com/acme/app.git',
  ]),
  sample('GitHub OAuth token', 'gho_3BVz1nRh84PaoNkVFAKEUuQcrCRYUK3nE5UX', (s) => `gh auth status: Token: ${s}`, ['gh auth status']),
  sample('GitHub user-to-server token', 'ghu_aHx16yEnvQnRsxDoFAKESRy6ScRW8r4urC2m', (s) => `(${s})`),
  sample('GitHub app installation token', 'ghs_gc0LoVQibO9sH7kJFAKElsF0NM8JJaFT0s8Z', (s) => `installation token ${s} expires in 1h`, ['expires in 1h']),
  sample('GitHub refresh token', 'ghr_0xWiOYZiKLO88xysFAKEw7TbIx8JjX5uLW89', (s) => `refresh=${s}`),
  sample('GitHub fine-grained token', 'github_pat_1uUm7SmHq5LRJ6Gt27gB4W_iZV7yuDA1hwM6LnZFAKEm2OjO35AT6zc98CdycRjT8SalpELUVEK4ntqHPt', (s) => `Created ${s}`, [
    'Created',
  ]),
  sample('npm token', 'npm_AFkCbFYFzduVWOgrFAKEPJUFydZg9NOrRkKD', (s) => `//registry.npmjs.org/:_authToken=${s}`, ['//registry.npmjs.org/']),
  sample('npm token, bare', 'npm_AFkCbFYFzduVWOgrFAKEPJUFydZg9NOrRkKD', (s) => `npm token create → ${s}`, ['npm token create']),
  sample('GitLab personal token', 'glpat-Bp3DH7-IFAKETgDkyRnL', (s) => `git clone https://oauth2:${s}@gitlab.com/acme/app.git`, ['gitlab.com/acme/app.git']),
  sample('GitLab personal token, bare', 'glpat-Bp3DH7-IFAKETgDkyRnL', (s) => `token ${s} has api scope`, ['has api scope']),
  sample('GitLab runner token', 'glrt-PuwdSndEFAKEvB9S2TYz', (s) => `gitlab-runner register --token ${s}`, ['gitlab-runner register']),
  sample(
    'Stripe live secret key',
    'sk_live_51c5X4sTWuryDXfGkTElhi4jU1jrOhuwSyyUQymVmWNrrv3ydFAKE3qzMKlbZJsuGQC2zF0M7H84srr2pXlQf1bZL8MvbRkxUD23T',
    (s) => `stripe.api_key = ${s}`,
  ),
  sample(
    'Stripe restricted key',
    'rk_live_51bnyATa8R4vyZGlSfa3Mrukc1VzsjxH2xrXkqKqQM61wWQZmFAKEWm6dWxaIC5Qf2qzGwyD7hocw9prnyj1tGgCxEuNESQp9NsMS',
    (s) => `Using ${s}`,
  ),
  sample('Stripe test key', 'sk_test_lVfx6f9nEpFAKEjrdJmUIx6F', (s) => `curl https://api.stripe.com/v1/charges -u ${s}:`, ['api.stripe.com/v1/charges']),
  sample('Stripe webhook secret', 'whsec_n1bXB35Z2gKQjOFAKEMkdkHTj3IHVFxX', (s) => `Ready! Your webhook signing secret is ${s} (^C to quit)`, ['(^C to quit)']),
  sample('Google OAuth client secret', 'GOCSPX-XgifPkgk2yZWFAKE7noRIYNaa8Kh', (s) => `"client_id":"1234-abc.apps.googleusercontent.com","client_sec":"${s}"`, [
    'apps.googleusercontent.com',
  ]),
  sample('Google API key', 'AIza9si3ot3rkGAqMY_FAKEltESCpT72_q52l9P', (s) => `maps.googleapis.com/maps/api/js?key=${s}&callback=init`, ['&callback=init']),
  sample(
    'Google OAuth access token',
    'ya29.GkgXn0i5ln-i71Eq6z2zX7fqAa74tYL03EEX8ismLseahEYeJA_boQdJI_FAKEGFsrrAx0JJJ7ML-x90sCstpBl7XkXeKfry86cLh8rAQ4sjbuZmEBeDJxnz',
    (s) => `gcloud auth print-access-token\n${s}`,
  ),
  sample('Hugging Face token', 'hf_LAXOFsHgEhDHeQtFAKEzzjiWtDvMdepcWo', (s) => `huggingface-cli login --token ${s}`, ['huggingface-cli login']),
  sample('Hugging Face token, bare', 'hf_LAXOFsHgEhDHeQtFAKEzzjiWtDvMdepcWo', (s) => `Token is valid (${s}).`, ['Token is valid']),
  sample('Slack bot token', 'xoxb-2938475610-4829374650123-2Ee2EiBywfFAKEtCbxVGmI1N', (s) => `SLACK ${s}`),
  sample('Slack user token', 'xoxp-2938475610-2938475611-4829374650124-3f96716FAKE9c8632354fd213e83dab', (s) => `slack: ${s}`),
  sample('Slack app token', 'xoxa-2-2938475610-4829374650125-Ee2EiBywfFAKEtCbxVGmI1N2', (s) => `app ${s}`),
  sample('Slack refresh token', 'xoxr-2938475610-4829374650126-yOOi2wmalEbKB8nBL4RFAKEJ2Jk', (s) => `refreshed: ${s}`),
  sample('JWT', JWT, (s) => `curl -H "X-Session: ${s}" https://api.example.com/me`, ['https://api.example.com/me']),
  sample('JWT, bare', JWT, (s) => `token = ${s}`),
  sample('Slack webhook', 'https://hooks.slack.com/services/T02EXAMPLE/B04FAKE0123/2Ee2EiBywfFAKEtCbxVGmI1N', (s) => `POST ${s} -> 200 ok`, ['-> 200 ok']),
  sample(
    'Discord webhook',
    'https://discord.com/api/webhooks/1234567890123456789/JlSa22O_1iKsNY9VAg_pbpVxoH8orfeuFAKERiuKruggd-w5kXAZ6asyqOvMYj04vWLl',
    (s) => `notify via ${s}`,
    ['notify via'],
  ),
  sample('Telegram bot token', '7123456789:AAmdjO9XCTnJHwtDFAKECbW3nHgN0pu5chk', (s) => `BotFather: Use this token to access the HTTP API:\n${s}`, [
    'Use this token',
  ]),
  sample('Twilio API key', 'SK03f463331cfadbdeadbeefe2f514320c', (s) => `twilio api:core:keys:create → sid ${s}`, ['twilio api:core:keys:create']),
  sample('SendGrid key', 'SG.fuK87N0-UFAKEMeVrxYpcw.C5WTRQDpjvmacEivKt4FAKEYa-5PMtMhkzIv19p7WhK', (s) => `sgMail.setApiKey('${s}')`, ['sgMail.setApiKey(']),
  sample('Shopify access token', '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', (s) => `X-Shopify-Access-Token: ${s}`),
  sample('DigitalOcean token', 'dop_v1_56da714e05bbc0fcb5f2e486e80326deadbeefdeb9b1438e920953852e4f908e', (s) => `doctl auth init -t ${s}`, [
    'doctl auth init',
  ]),
  sample(
    'PyPI token',
    'pypi-AgEIcHlwaS5vcmcCJGq52X4HOEDqek7sMWCMGCABVcdQtHXWUWdnVZLEZOxEXL4Gx1hsneR18bf-tjVLux1L-yFAKEksqQOMnYxcDw3n7HwRPzVzgMcL6T_5Zyo6zzegDcSzoBiTFE0AA8ICGULZxoifmWvOwx',
    (s) => `twine upload -u __token__ -p ${s} dist/*`,
    ['twine upload', 'dist/*'],
  ),
  sample('Vault token', 'hvs.bhwW4qXD3CFAKEvdyFYEOiWG', (s) => `Success! token: ${s}`, ['Success!']),
  sample('age secret key', 'AGE-SECRET-KEY-1ATQW73D2F6EQ3YL4P2SGSQ3NH5YFAKEW7PG0EQEU3JVSYFRNN0T7YD3VYJ', (s) => `# created: 2024-05-01\n${s}`, [
    '# created: 2024-05-01',
  ]),
  sample('Postman key', 'PMAK-d33df48675deadbeef522178-562d3d3d581a2f6deadbeefcc75da4435f', (s) => `postman login --with-api-key ${s}`, ['postman login']),
  sample('Linear key', 'lin_api_zKjEsHp5bcxSws22qIFAKEsY4DXlWVuAhchYtS04', (s) => `Authorization header set to ${s}`),
  sample('Databricks token', 'dapiaafe247bd6d87cdeadbeefd4b0bd6155', (s) => `databricks configure: ${s}`),
  sample('Docker Hub token', 'dckr_pat_BQf4IcsXcDdFAKEnlHt4aJ2q6Sg', (s) => `echo ${s} | docker login -u acme --password-stdin`, [
    'docker login -u acme --password-stdin',
  ]),
  sample('Groq key', 'gsk_fHZzp9i4vNkfZ67Z9JIk4LHbFAKErbZ92gzJOBt9MIpcY7v9JnBK', (s) => `groq: ${s}`),
  // Database passwords on command lines and in URLs.
  sample('mysql -p<password>', 'Tr0ub4dor-FAKE-3x', (s) => `mysql -h db.internal -u root -p${s} shop -e 'select 1'`, [
    'mysql -h db.internal -u root -p',
    "shop -e 'select 1'",
  ]),
  sample("mysqldump -p'<password>'", 'c0rrect horse FAKE', (s) => `mysqldump -uroot -p'${s}' shop > dump.sql`, ['mysqldump -uroot -p', '> dump.sql']),
  sample('mysql --password=', 'S3cure-FAKE-pw!', (s) => `mysql --user=app --password=${s} app_db`, ['mysql --user=app --password=', 'app_db']),
  sample('PGPASSWORD=', 'pg-FAKE-9xQ2vL', (s) => `PGPASSWORD=${s} psql -h localhost -U app`, ['psql -h localhost -U app']),
  sample('MYSQL_PWD=', 'my-FAKE-pwd-77', (s) => `MYSQL_PWD=${s} mysql -u app`, ['mysql -u app']),
  sample('postgres URL password', 'hunter2-FAKE-pg', (s) => `DATABASE=postgres://app:${s}@db.example.com:5432/app`, [
    'postgres://app:',
    '@db.example.com:5432/app',
  ]),
  sample('redis URL with an empty user', 'r3dis-FAKE-pass', (s) => `connecting to redis://:${s}@cache:6379/0`, ['@cache:6379/0']),
  sample('mongodb+srv URL password', 'm0ngo-FAKE-Pass', (s) => `mongosh "mongodb+srv://admin:${s}@cluster0.ab12c.mongodb.net/test"`, [
    'cluster0.ab12c.mongodb.net',
  ]),
  sample('curl -u user:password', 'curl-FAKE-pw-55', (s) => `curl -s -u admin:${s} https://ci.example.com/api/json`, ['https://ci.example.com/api/json']),
  sample('sshpass -p', 'sshp-FAKE-Secret1', (s) => `sshpass -p '${s}' ssh deploy@10.0.0.5 uptime`, ['ssh deploy@10.0.0.5 uptime']),
  sample(
    'Azure storage connection string',
    'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFAKEr/KBHBeksoGMGw==',
    (s) => `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${s};EndpointSuffix=core.windows.net`,
    ['AccountName=acme', 'EndpointSuffix=core.windows.net'],
  ),
  // Values of dotenv files in subfolders, .envrc and *.env, however they show up.
  sample('value of packages/api/.env', ENV_VALUES.apiDb, (s) => `$ node -e 'console.log(process.env.DB_PASSWORD)'\n${s}`, [
    'console.log(process.env.DB_PASSWORD)',
  ]),
  sample('value of services/worker/.env.production', ENV_VALUES.workerQueue, (s) => `connecting with ${s} …`, ['connecting with']),
  sample('value of .envrc', ENV_VALUES.envrcSigning, (s) => `direnv: export +JWT_SIGNING\nsigning with "${s}"`, ['direnv: export +JWT_SIGNING']),
  sample('value of deploy/docker/app.env', ENV_VALUES.dockerEnv, (s) => `master key: ${s}`),
  // Obfuscated spellings.
  sample('GitHub token with zero-width spaces', GITHUB, (s) => `token: ${s.slice(0, 10)}\u200b${s.slice(10, 20)}\u200c${s.slice(20)}`),
  sample('Anthropic key with a word joiner and a BOM', ANTHROPIC, (s) => `${s.slice(0, 30)}\u2060${s.slice(30, 60)}\ufeff${s.slice(60)}`),
  sample('Anthropic key with a zero-width joiner after its prefix', ANTHROPIC, (s) => `k=${s.slice(0, 3)}\u200d${s.slice(3)}`),
  sample('URL-encoded Anthropic key', ANTHROPIC, (s) => `GET /callback?key=${s.replaceAll('-', '%2D')}&state=ok`, ['&state=ok']),
  sample('URL-encoded key and value', 'npm_AFkCbFYFzduVWOgrFAKEPJUFydZg9NOrRkKD', (s) => `redirect=%2Fsetup%3Ftoken%3D${s}`, ['redirect=']),
  sample('JSON \\u escapes', GITHUB, (s) => `{"text": "\\u0067\\u0068\\u0070\\u005f${s.slice(4)}"}`, ['"text"']),
];

/** Text that looks a little like a secret and must come out unchanged. */
export const LOOK_ALIKES: readonly { readonly name: string; readonly text: string }[] = [
  { name: 'git sha1s', text: 'commit 3f786850e387550fdab836ed7e6dc881de23001b\nMerge: 9fceb02 1c002dd\nparent a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' },
  { name: 'git log --oneline', text: 'e83c5163316f89bfbde7d9ab23ca2e25604af290 Initial commit\n2c26b46b68ffc68ff99b453c1d30413413422d70 Fix typo' },
  { name: 'an uppercase sha1', text: 'SHA1: DA39A3EE5E6B4B0D3255BFEF95601890AFD80709' },
  {
    name: 'sha256 sums',
    text: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c  dist/app.js\n7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730  dist/app.css',
  },
  {
    name: 'a list of sha256 hashes',
    text: Array.from({ length: 3 }, (_, i) => `${`${i}`.repeat(8)}b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b87`).join('\n'),
  },
  { name: 'a docker digest', text: 'node@sha256:a1f2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' },
  { name: 'UUIDs', text: 'session 550e8400-e29b-41d4-a716-446655440000 and 6ba7b810-9dad-11d1-80b4-00c04fd430c8' },
  {
    name: 'an npm integrity hash (public)',
    text: '"integrity": "sha512-Ui4k/ATtLhH2eZ5A0pV0nVLd6RYSQXPN4O0aHAYeP1P6/H0ZlXj8Tq0tZy+gFh0p7uJw3eu9ZtN1mA7xqzFpFQ=="',
  },
  {
    name: 'a base64 image data URI (public)',
    text: '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==">',
  },
  { name: 'a long Java class name', text: 'at com.example.billing.AbstractSubscriptionRenewalNotificationServiceFactoryBean.create(Foo.java:42)' },
  { name: 'a 40-letter camelCase identifier with digits', text: 'UserAccountSettingsControllerTestCase123 passed' },
  { name: 'a deep path', text: 'src/components/UserProfileSettingsPanel2.tsx:17:3' },
  { name: 'ordinary long words', text: 'internationalization counterrevolutionaries electroencephalographically' },
  { name: 'npm lifecycle variables', text: 'npm_config_user_agent=npm/10.8.2 node/v24.0.0\nnpm_lifecycle_event=test' },
  { name: 'a function named like a Hugging Face token', text: 'from huggingface_hub import hf_hub_download' },
  { name: 'kebab-case slugs after sk-', text: 'see sk-learn-extensions-for-the-project and task-runner' },
  { name: 'mysql asking for its password', text: 'mysql -h db -u root -p shop\nmysql -P 3306 -h 127.0.0.1' },
  { name: 'a docker user and group', text: 'docker run -u 1000:1000 -p 8080:80 nginx' },
  { name: 'URLs without a password', text: 'git@github.com:acme/app.git https://user@example.com/x http://localhost:3000/api' },
  { name: 'variable references and types', text: 'TOKEN=$GITHUB_TOKEN\npassword: string;\nmax_tokens=4096\nPWD=/home/me' },
  {
    name: 'a certificate (public)',
    text: '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ\nRTESMBAGA1UEChMJQmFsdGltb3JlMRMwEQYDVQQLEwpDeWJlclRydXN0MSIwIAYD\n-----END CERTIFICATE-----',
  },
  { name: 'a Markdown table rule', text: '| name | value |\n|------|-------|\n================================================================' },
  { name: 'percent signs and escapes in prose', text: 'CPU at 100%, memory at 42% — path C:\\new\\tools and "\\u00e9t\\u00e9"' },
  { name: 'a word after a token-like line end', text: 'Run the tests\nDone in 2.3s' },
];
