# scripts/bench-scale: a shadow(5) and passwd(5) file of N accounts, md5crypt made by libcrypt
# (Python's crypt module): 1% planted weak passwords from the top of the common list (each under its
# own salt), 0.2% a copied hash on two accounts, the rest strong and unique.
#   python3 bench-scale-corpus.py DIR N
import random, sys, warnings
warnings.filterwarnings('ignore')
import crypt
d, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(17)
weak = ['123456', 'password', '12345678', 'qwerty', 'dragon', 'monkey', 'letmein', 'iloveyou']
with open(f'{d}/shadow', 'w') as sh, open(f'{d}/passwd', 'w') as pw:
    copied = None
    for i in range(n):
        user = f'u{i:06d}'
        r = rng.random()
        if r < 0.01:
            h = crypt.crypt(rng.choice(weak), crypt.mksalt(crypt.METHOD_MD5))
        elif r < 0.012 and copied is not None:
            h, copied = copied, None
        else:
            h = crypt.crypt(f'S{rng.getrandbits(64):x}#{i}', crypt.mksalt(crypt.METHOD_MD5))
            if r < 0.012:
                copied = h
        sh.write(f'{user}:{h}:20000:0:99999:7:::\n')
        pw.write(f'{user}:x:{10000 + i}:100:User {i},,,:/home/{user}:/bin/sh\n')
