// Starter for the password-reset pairing round (Node.js 20 or newer, nothing to install).
//
// Share this file with the candidate at the start of the call, unchanged, and run its tests
// together:
//
//     node --test starter.mjs
//
// What is here: a users table in an in-memory store with the same interface as the real one,
// an email sender stub that records what it would send, a clock the tests can set, and the
// two functions to write. The reset-token store is empty on purpose: designing it is part of
// the exercise. Names and signatures may change once the pair agrees why.

import assert from "node:assert/strict";
import { test } from "node:test";

// The users table: in memory, with the same interface as the real store.
export class Users {
  #byId = new Map();
  add(user) { this.#byId.set(user.id, user); }          // user: { id, email, passwordHash }
  byId(id) { return this.#byId.get(id) ?? null; }
  byEmail(email) { return [...this.#byId.values()].find((u) => u.email === email) ?? null; }
  setPasswordHash(id, passwordHash) { this.#byId.get(id).passwordHash = passwordHash; }
}

// The reset-token table: empty, to design together.
export class ResetTokens {}

// A stub: records each email it would send, and sends nothing.
export class EmailSender {
  sent = [];
  send(to, body) { this.sent.push([to, body]); }
}

// The time the code sees, in seconds; tests set it and move it on.
export class Clock {
  #now;
  constructor(now = 1_700_000_000) { this.#now = now; }
  now() { return this.#now; }
  advance(seconds) { this.#now += seconds; }
}

// Stands in for the real password hasher, which is not part of this exercise.
export function hashPassword(password) { return "hashed:" + password; }

// Email a reset link carrying a token to the user with this email, if there is one.
export function requestReset(email, users, tokens, sender, clock) {
  throw new Error("not implemented");
}

// Set the new password if the token is valid, and say whether it was.
export function resetPassword(token, newPassword, users, tokens, clock) {
  throw new Error("not implemented");
}

test("the stubs work", () => {
  const users = new Users();
  users.add({ id: 1, email: "ada@example.org", passwordHash: hashPassword("old password") });
  assert.equal(users.byEmail("ada@example.org").id, 1);
  const sender = new EmailSender();
  sender.send("ada@example.org", "hello");
  assert.deepEqual(sender.sent, [["ada@example.org", "hello"]]);
  const clock = new Clock();
  const before = clock.now();
  clock.advance(30 * 60);
  assert.equal(clock.now() - before, 1800);
});
