// The URL `lock` records from a Git remote: a password or token never reaches the committed lock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutCredentials } from './remote-url';

test('withoutCredentials: https credentials go, an ssh user stays, anything else is kept as written', () => {
  const rows: Array<[string, string]> = [
    ['https://x-access-token:s3cr3t@github.com/acme/shop.git', 'https://github.com/acme/shop.git'],
    ['https://gitlab-ci-token:glcbt-abc@gitlab.com/acme/shop.git', 'https://gitlab.com/acme/shop.git'],
    ['https://token@github.com/acme/shop', 'https://github.com/acme/shop'],
    ['HTTP://user:pw@host:8080/x.git', 'HTTP://host:8080/x.git'],
    ['ssh://git@github.com/acme/shop.git', 'ssh://git@github.com/acme/shop.git'],
    ['ssh://git:pw@github.com/acme/shop.git', 'ssh://github.com/acme/shop.git'],
    ['git@github.com:acme/shop.git', 'git@github.com:acme/shop.git'],
    ['https://github.com/acme/shop.git', 'https://github.com/acme/shop.git'],
    ['/srv/git/shop.git', '/srv/git/shop.git'],
    // A raw "@" in the password: all of the user part goes, up to the last "@" before the path.
    ['https://ci:p@ss@w0rd@host/acme/shop.git', 'https://host/acme/shop.git'],
    ['https://tok@en@host/x', 'https://host/x'],
    // An "@" in the path or the query is not a user part.
    ['https://host/acme/shop@v1.git', 'https://host/acme/shop@v1.git'],
    ['https://host/x.git?ref=a@b', 'https://host/x.git?ref=a@b'],
  ];
  for (const [url, want] of rows) assert.equal(withoutCredentials(url), want, url);
});
