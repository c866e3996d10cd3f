// Public face of the API server's authentication and authorization: token users, RBAC, bootstrap policy, 403 wording.
export {
  ANONYMOUS_USER,
  AUTHENTICATED_GROUP,
  SERVICE_ACCOUNTS_GROUP,
  SYSTEM_MASTERS,
  UNAUTHENTICATED_GROUP,
  anonymousUser,
  parseServiceAccountUsername,
  serviceAccountUser,
  serviceAccountUsername,
  withAuthenticatedGroup,
  type UserInfo,
} from './identity';
export {
  ADMIN_USER,
  TOKEN_PREFIX,
  UserError,
  addUser,
  adminTokenFile,
  ensureAdmin,
  listUsers,
  removeUser,
  rotateToken,
  usersFile,
  validateName,
  type UserErrorCode,
  type UserRecord,
  type UserSummary,
} from './users';
export { TokenAuthenticator, type AuthenticationResult, type TokenAuthenticatorOptions } from './authenticator';
export {
  attributesFromReviewSpec,
  forbiddenDetail,
  forbiddenMessage,
  forbiddenStatus,
  type Attributes,
  type SubjectAccessReviewSpec,
} from './attributes';
export {
  RBAC_API_VERSION,
  RBAC_GROUP,
  RBAC_KINDS,
  isRbacKind,
  parseRbacObject,
  validateRbacObject,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type RbacKind,
  type RbacObject,
  type Role,
  type RoleBinding,
  type RoleRef,
  type Subject,
  type SubjectKind,
} from './policy';
export {
  RbacAuthorizer,
  type Decision,
  type NonResourceRule,
  type ResourceRule,
  type SubjectAccessReviewStatus,
  type SubjectRulesReviewStatus,
} from './rbac';
export { bootstrapPolicy } from './bootstrap';
