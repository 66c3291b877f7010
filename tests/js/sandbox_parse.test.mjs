// What the sandbox page reads from the bot's texts, links and its own URL (assets/sandbox/parse.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { amountIn, chooseUser, isInvoiceLink, sameOriginGameUrl, splitProblem, tokenize, userInHash } from '../../assets/sandbox/parse.js';

const pieces = (text) => tokenize(text).map((p) => [p.kind, p.text]);

test('commands, their items, links and charge ids become tappable; the rest stays text', () => {
  assert.deepEqual(pieces('Try /dig or /buy pickaxe, then /use energy.'), [
    ['text', 'Try '],
    ['command', '/dig'],
    ['text', ' or '],
    ['command', '/buy pickaxe'],
    ['text', ', then '],
    ['command', '/use energy'],
    ['text', '.'],
  ]);
  assert.deepEqual(pieces('See https://t.me/$abc_1 (now)'), [
    ['text', 'See '],
    ['url', 'https://t.me/$abc_1'],
    ['text', ' (now)'],
  ]);
  assert.deepEqual(pieces('Charge id: stx27ZnRnL2pGI8U\nKeep it for /refund.'), [
    ['text', 'Charge id: '],
    ['charge', 'stx27ZnRnL2pGI8U'],
    ['text', '\nKeep it for '],
    ['command', '/refund'],
    ['text', '.'],
  ]);
});

test('what only looks like a command stays text', () => {
  assert.deepEqual(pieces('and/or 1/2 /Start /dig2x'), [['text', 'and/or 1/2 /Start '], ['command', '/dig2x']]);
  assert.deepEqual(pieces('/shop pickaxe'), [['command', '/shop'], ['text', ' pickaxe']], 'only /buy and /use take an item');
  assert.deepEqual(pieces('charge id: short'), [['text', 'charge id: short']]);
  assert.deepEqual(pieces(''), []);
});

test('the pieces always give the text back', () => {
  for (const text of ['/start', 'x /top y', '(/me)', 'a\n/dig\nb', 'https://a.b/c?d=e) /help!', 'Charge id: ABCDEFGH1 /refund ABCDEFGH1']) {
    assert.equal(tokenize(text).map((p) => p.text).join(''), text);
  }
});

test('an invoice link is https://t.me/$slug and nothing else', () => {
  assert.equal(isInvoiceLink('https://t.me/$AbC-1_x'), true);
  assert.equal(isInvoiceLink('https://t.me/starmine_bot'), false);
  assert.equal(isInvoiceLink('http://t.me/$abc'), false);
  assert.equal(isInvoiceLink('https://t.me/$abc/extra'), false);
  assert.equal(isInvoiceLink(undefined), false);
});

test("the game's URL moves to the page's own origin; other links stay", () => {
  const here = { href: 'http://localhost:8080/sandbox/#user=1001', origin: 'http://localhost:8080' };
  assert.equal(sameOriginGameUrl('http://127.0.0.1:8080/game/?token=v1.a.b#x', here), 'http://localhost:8080/game/?token=v1.a.b#x');
  assert.equal(sameOriginGameUrl('/game/?token=t', here), 'http://localhost:8080/game/?token=t');
  assert.equal(sameOriginGameUrl('https://example.com/other', here), 'https://example.com/other');
  assert.equal(sameOriginGameUrl('http://[bad', here), 'http://[bad');
});

test('an amount is the first number, separators and all', () => {
  assert.deepEqual([amountIn('Pay 1,500 ⭐'), amountIn('Pay 25 ⭐'), amountIn('Pay ⭐'), amountIn('0 left')], [1500, 25, null, null]);
});

test('the page opens as the link’s user, else the last one, else the first player', () => {
  const users = [
    { id: 1000, admin: true },
    { id: 1001, admin: false },
    { id: 1002, admin: false },
  ];
  assert.equal(chooseUser(users, '#user=1002', 1001), 1002);
  assert.equal(chooseUser(users, '#user=42', 1001), 1001, 'an unknown user in the link');
  assert.equal(chooseUser(users, '', NaN), 1001, 'the first who is no admin');
  assert.equal(chooseUser([{ id: 1000, admin: true }], '', NaN), 1000);
  assert.equal(chooseUser([], '', NaN), null);
  assert.deepEqual([userInHash('#user=1003'), userInHash('user=7'), userInHash(''), userInHash('#x=1')], [1003, 7, 0, 0]);
});

test('a game_data problem splits into the file and line, and the message; a warning has no line', () => {
  assert.deepEqual(splitProblem('/srv/game_data/items.toml:12: `price_stars` must be 1 to 10000, got 0'), [
    'items.toml:12',
    '`price_stars` must be 1 to 10000, got 0',
    '/srv/game_data/items.toml:12',
  ]);
  assert.deepEqual(splitProblem('game_data/items.toml: `tool` (Tool) was removed: see it'), ['items.toml', '`tool` (Tool) was removed: see it', 'game_data/items.toml']);
  assert.deepEqual(splitProblem('something else: entirely'), ['', 'something else: entirely', '']);
});
