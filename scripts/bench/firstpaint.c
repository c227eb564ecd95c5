// firstpaint waits until a spot of the window named NAME shows text (dark and
// light pixels both), then prints the milliseconds since START_NS (a
// CLOCK_REALTIME time in nanoseconds, e.g. `date +%s%N` taken just before the
// app was started). startup.sh compiles and runs it: it reads a few hundred
// pixels every 5 ms, so it neither slows the start it measures (a screenshot
// with ImageMagick cost about 350 ms of CPU on two cores) nor sees it late.
//
//	firstpaint START_NS NAME X Y W H [TIMEOUT_S]
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

// find returns the first viewable window under w whose name is name, or 0.
static Window find(Display *d, Window w, const char *name) {
	char *got = NULL;
	XWindowAttributes a;
	if (XFetchName(d, w, &got) && got) {
		int same = strcmp(got, name) == 0;
		XFree(got);
		if (same && XGetWindowAttributes(d, w, &a) && a.map_state == IsViewable)
			return w;
	}
	Window root, parent, *kids = NULL;
	unsigned int n = 0;
	if (!XQueryTree(d, w, &root, &parent, &kids, &n))
		return 0;
	Window found = 0;
	for (unsigned int i = 0; i < n && !found; i++)
		found = find(d, kids[i], name);
	if (kids)
		XFree(kids);
	return found;
}

// luma is a pixel's brightness from 0 to 255 (24-bit TrueColor assumed: Xvfb's).
static int luma(unsigned long p) {
	int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
	return (r * 299 + g * 587 + b * 114) / 1000;
}

static int ignore_errors(Display *d, XErrorEvent *e) {
	(void)d;
	(void)e;
	return 0; // the window may vanish or not be mapped yet: try again
}

int main(int argc, char **argv) {
	if (argc < 7) {
		fprintf(stderr, "usage: firstpaint START_NS NAME X Y W H [TIMEOUT_S]\n");
		return 2;
	}
	long long start = atoll(argv[1]);
	const char *name = argv[2];
	int x = atoi(argv[3]), y = atoi(argv[4]), w = atoi(argv[5]), h = atoi(argv[6]);
	long long deadline = now_ns() + (argc > 7 ? atoll(argv[7]) : 60) * 1000000000LL;
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "firstpaint: no display\n");
		return 1;
	}
	XSetErrorHandler(ignore_errors);
	Window win = 0;
	while (now_ns() < deadline) {
		if (!win)
			win = find(d, DefaultRootWindow(d), name);
		if (win) {
			XImage *img = XGetImage(d, win, x, y, w, h, AllPlanes, ZPixmap);
			if (img) {
				int dark = 0, light = 0;
				for (int j = 0; j < h; j++)
					for (int i = 0; i < w; i++) {
						int l = luma(XGetPixel(img, i, j));
						dark |= l < 100;
						light |= l > 230;
					}
				XDestroyImage(img);
				if (dark && light) {
					printf("%lld\n", (now_ns() - start) / 1000000);
					return 0;
				}
			}
		}
		usleep(5000);
	}
	fprintf(stderr, "firstpaint: nothing painted at %dx%d+%d+%d of \"%s\" in time\n", w, h, x, y, name);
	return 1;
}
