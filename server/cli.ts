// `npm run kura -- <command>`: admin tasks for an embedded Kura, run beside
// (or without) the running server. They work on the data directory.
import { addUser, listUsers, removeUser, rotateToken, UserError } from './apiserver/auth';
import { ConfigError, consoleBaseUrl, loadConfig, parseFlags } from './config';
import { issueSignInLink } from './console/signInLinks';

const usage = `usage: npm run kura -- <command>

commands:
  sign-in-link                       print a new one-time admin sign-in link (valid 10 minutes)
  user add NAME [--group G]...       add a user of the embedded cluster and print their token
  user list                          list users and their groups
  user token NAME                    replace a user's token and print the new one
  user remove NAME                   remove a user (their token stops working at once)

Users have no permissions until an admin grants them, for example:
  kubectl --kubeconfig .kura/kubeconfig create rolebinding alice-edit --clusterrole=edit --user=alice -n team-a

Settings come from the same environment as npm start (KURA_DATA_DIR, PORT, HOST, KURA_PUBLIC_URL).`;

function groupsFrom(args: string[]): { name: string; groups: string[] } {
  const [name, ...rest] = args;
  if (!name || name.startsWith('--')) throw new ConfigError('give the user a name: npm run kura -- user add NAME [--group G]');
  const groups: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--group' && rest[i + 1]) groups.push(rest[++i]!);
    else if (a.startsWith('--group=')) groups.push(a.slice('--group='.length));
    else throw new ConfigError(`unexpected argument "${a}"; use --group NAME`);
  }
  return { name, groups };
}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  const config = loadConfig(process.env, []);
  const dataDir = config.dataDirAbs;
  switch (command) {
    case 'sign-in-link': {
      parseFlags(rest, []);
      const secret = issueSignInLink(dataDir);
      console.log(`${consoleBaseUrl(config)}/auth/link#${secret}`);
      return 0;
    }
    case 'user': {
      const [sub, ...args] = rest;
      if (sub === 'add') {
        const { name, groups } = groupsFrom(args);
        const { token } = addUser(dataDir, name, groups);
        console.log(token);
        console.error(`kura: added user ${name}${groups.length ? ` in groups ${groups.join(', ')}` : ''}; the token above is shown once.`);
        return 0;
      }
      if (sub === 'list') {
        for (const u of listUsers(dataDir)) console.log(`${u.name}\t${u.groups.join(',') || '-'}\t${u.createdAt}`);
        return 0;
      }
      if (sub === 'token' && args.length === 1) {
        console.log(rotateToken(dataDir, args[0]!).token);
        return 0;
      }
      if (sub === 'remove' && args.length === 1) {
        removeUser(dataDir, args[0]!);
        console.error(`kura: removed user ${args[0]}`);
        return 0;
      }
      console.error(usage);
      return 2;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(usage);
      return command ? 0 : 2;
    default:
      console.error(`kura: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof ConfigError || e instanceof UserError) {
    console.error(`kura: ${e.message}`);
    process.exitCode = 2;
  } else throw e;
}
