import * as vscode from 'vscode';
import { Disposable } from './lifecycle';

const REDACTED = '‹redacted›';

/** Looks like a JWE compact serialization, the shape of Penpot access tokens (§3.10). */
const JWE_SHAPE = /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/**
 * The "Penpot" log output channel. Every line passes through `scrub`, which blanks out every access token this
 * window has seen (and anything shaped like one), so a careless message cannot leak a token into the log.
 */
export class PenpotLog extends Disposable {
  private readonly channel: vscode.LogOutputChannel;
  private readonly knownSecrets = new Set<string>();

  constructor() {
    super();
    this.channel = this.register(vscode.window.createOutputChannel('Penpot', { log: true }));
  }

  /** Registers a token so it is redacted from every later line. */
  rememberSecret(secret: string): void {
    if (secret) this.knownSecrets.add(secret);
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.knownSecrets) out = out.split(secret).join(REDACTED);
    return out.replace(JWE_SHAPE, REDACTED);
  }

  info(component: string, message: string): void {
    this.channel.info(this.scrub(`[${component}] ${message}`));
  }

  warn(component: string, message: string): void {
    this.channel.warn(this.scrub(`[${component}] ${message}`));
  }

  error(component: string, message: string): void {
    this.channel.error(this.scrub(`[${component}] ${message}`));
  }

  show(): void {
    this.channel.show(true);
  }
}
