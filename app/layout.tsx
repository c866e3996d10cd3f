import '@patternfly/react-core/dist/styles/base.css';
import './globals.css';
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { themeBootScript } from '@/components/shell/theme';
import { Providers } from './providers';

export const metadata: Metadata = {
  title: 'Kura',
  description: 'Self-service virtual machines and storage on Kubernetes',
  icons: { icon: '/kura.svg' },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeBootScript }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
