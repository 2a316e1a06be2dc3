/** The header's run read-out, share buttons and theme choice, between the title and the device badge. */
import { RunProgress } from './RunProgress';
import { ShareLink } from './ShareLink';
import { ThemeToggle } from './ThemeToggle';

export function HeaderTools() {
  return (
    <div className="header-tools">
      <RunProgress />
      <ShareLink />
      <ThemeToggle />
    </div>
  );
}
