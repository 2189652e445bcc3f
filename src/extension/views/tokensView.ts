import type { PenpotApi } from '../../penpot/api';
import type { AccessToken } from '../../penpot/types';
import type { Account, SignedInAccount } from '../account/account';
import type { PenpotLog } from '../common/log';
import { LoadableTree, type DataContext } from './loadableTree';
import { MessageNode, TokenNode } from './nodes';
import { ContextKey, ViewId } from '../registry';

/** The signed-in user's access tokens, in Penpot's order (soonest expiry first, never-expiring last, §3.11). */
export class TokensTreeProvider extends LoadableTree<AccessToken[], TokenNode> {
  constructor(account: Account, log: PenpotLog) {
    super(ViewId.tokens, 'access tokens', ContextKey.tokensUnreachable, account, log);
  }

  protected fetch(api: PenpotApi): Promise<AccessToken[]> {
    // The MCP key is listed too: it is an access token, and deleting it here is the way to revoke it.
    return api.getAccessTokens({ includeAll: true });
  }

  protected rootNodes(tokens: AccessToken[], account: SignedInAccount): Array<TokenNode | MessageNode> {
    if (tokens.length === 0) {
      return [new MessageNode('No access tokens', { id: 'tokens:empty', kind: 'empty' })];
    }
    const now = new Date();
    return tokens.map((token) => new TokenNode(token, token.id === account.tokenId, now));
  }

  protected dataContext(): DataContext {
    return {};
  }

  get tokens(): AccessToken[] {
    return this.state.kind === 'loaded' ? this.state.data : [];
  }

  findToken(tokenId: string): AccessToken | undefined {
    return this.tokens.find((t) => t.id === tokenId);
  }
}
