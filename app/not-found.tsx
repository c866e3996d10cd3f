import Link from 'next/link';

export default function NotFound() {
  return (
    <main style={{ padding: '3rem', fontFamily: 'sans-serif' }}>
      <h1>Page not found</h1>
      <p>
        Kura has no page at this address. <Link href="/">Go to the overview</Link>.
      </p>
    </main>
  );
}
