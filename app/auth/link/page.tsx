import { SignInLink } from '@/components/auth/SignInLink';

export default function SignInLinkPage() {
  return <SignInLink />;
}
