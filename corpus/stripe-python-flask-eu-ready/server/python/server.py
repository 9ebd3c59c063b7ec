import os
import stripe
from dotenv import load_dotenv, find_dotenv
from flask import Flask, jsonify, request

load_dotenv(find_dotenv())

stripe.api_version = '2023-10-16'
stripe.api_key = os.getenv('STRIPE_SECRET_KEY')

app = Flask(__name__, static_folder=os.getenv('STATIC_DIR'), static_url_path='')


@app.get('/config')
def get_config():
    return jsonify({'publishableKey': os.getenv('STRIPE_PUBLISHABLE_KEY')})


@app.get('/create-payment-intent')
def create_payment():
    intent = stripe.PaymentIntent.create(amount=4990, currency='eur', automatic_payment_methods={'enabled': True})
    return jsonify({'clientSecret': intent.client_secret})


@app.post('/webhook')
def webhook_received():
    try:
        event = stripe.Webhook.construct_event(request.data, request.headers.get('stripe-signature'), os.getenv('STRIPE_WEBHOOK_SECRET'))
    except (ValueError, stripe.error.SignatureVerificationError):
        return jsonify({'error': 'bad signature'}), 400
    if event['type'] == 'payment_intent.succeeded':
        print('Payment received')
    return jsonify({'status': 'success'})
